export * from './items';
export { default as itemName } from './items';
export * as items from './items';
