export { RULES } from './registry.generated';
