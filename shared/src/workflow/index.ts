export * from './api';
export * from './credential-refs';
export * from './cron';
export * from './definition';
export * from './email';
export * from './example';
export * from './filter';
export * from './http';
export * from './issues';
export * from './json-value';
export * from './node-spec';
export * from './notion';
export {
  type CompiledRegex,
  compileRegex,
  MAX_REGEX_PROGRAM,
  MAX_REGEX_TEXT,
  type RegexCompilation,
} from './regex';
export * from './schedule';
export * from './slack';
export * from './steps';
export * from './trigger';
export * from './webhook';
