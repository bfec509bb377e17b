export * from './communities.js';
export * from './members.js';
export * from './spaces.js';
export * from './messages.js';
export * from './tokens.js';
export * from './channels.js';
export * from './events.js';
export * from './polls.js';
