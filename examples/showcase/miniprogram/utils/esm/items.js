// An ES module: the compiler converts import and export to CommonJS, line for line
// (docs/bundle-format.md, "Logic file").
export const PAGE_SIZE = 20;

export function makeItems(count, start = 0) {
  return Array.from({ length: count }, (_, i) => ({ id: start + i, name: itemName(start + i) }));
}

export default function itemName(index) {
  return `Item ${index}`;
}
