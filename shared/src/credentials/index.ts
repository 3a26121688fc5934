export * from './api';
export * from './headers';
export * from './spec';
export * from './types';
