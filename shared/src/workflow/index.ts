export * from './api';
export * from './definition';
export * from './filter';
export * from './http';
export * from './issues';
export * from './json-value';
export type { NodeSpec } from './node-spec';
export * from './steps';
export * from './trigger';
