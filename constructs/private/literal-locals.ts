/**
 * What a host map needs from its stack: somewhere to put a large, token-free host map as a Terraform local without
 * walking it through cdktf's token resolver. The EstateStack base class provides it; taking it through this
 * interface keeps constructs from importing the stacks layer.
 */
export interface LiteralLocalRegistry {
  addLiteralLocal(name: string, value: unknown): string;
}

/** What a Terraform local's name may be here: lower snake case. */
export const LOCAL_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** `PascalCase`, `kebab-case` and `dotted.names` to `snake_case`: Terraform names and local names. */
export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "")
    .toLowerCase();
}
