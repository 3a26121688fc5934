export * from './api-input';
export * from './auth';
export * from './credentials';
export * from './deliveries';
export * from './executions';
export * from './expressions';
export * from './tokens';
export * from './workflow';
