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
export { TextLimitError, toJsonText } from './render';
export {
  ExpressionLimitError,
  type ExpressionScope,
  type Lookup,
  lookupPath,
  MAX_RENDERED_TEXT,
  type Resolution,
  renderText,
  resolveOperand,
  resolveTemplate,
  resolveValue,
} from './resolve';
