export * from './enums.js';
export * from './angles.js';
export * from './tour-document.js';
export * from './beacon.js';
export * from './problem.js';
export * from './json-schema.js';
export * from './json-input.js';
export * from './uuid7.js';
