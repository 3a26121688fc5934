export { findExpressions, type JsonPath, type LocatedExpression, type LocatedSyntaxError } from './find';
export {
  type ExpressionSegment,
  type ExpressionSyntaxError,
  type PathSegment,
  parseTemplate,
  type TemplateParseResult,
  type TemplateSegment,
  type TextSegment,
} from './parse';
export { toJsonText } from './render';
export {
  type ExpressionScope,
  type Lookup,
  lookupPath,
  type Resolution,
  renderText,
  resolveOperand,
  resolveTemplate,
  resolveValue,
} from './resolve';
