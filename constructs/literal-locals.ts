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
