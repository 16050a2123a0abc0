// inert() and hasUnsafeCharacters() live in the text model, source/domain/safe-text.ts; this name
// stays for code written against it.
export {hasUnsafeCharacters, inert} from './safe-text.js';
