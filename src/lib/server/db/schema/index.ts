export * from './programmes.ts';
export * from './territory.ts';
export * from './accounts.ts';
export * from './mail.ts';
export * from './organisations.ts';
export * from './villages.ts';
