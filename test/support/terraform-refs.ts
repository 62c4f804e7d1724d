/** `${type.name...}` references to resources, data sources or locals the stack does not declare. */
export function danglingReferences(tf: any): string[] {
  const text = JSON.stringify({ resource: tf.resource, data: tf.data, output: tf.output, provider: tf.provider });
  const dangling = new Set<string>();
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    for (const ref of match[1].matchAll(/\b(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) {
      const parts = ref[1].split(".");
      const known =
        parts[0] === "data" ? tf.data?.[parts[1]]?.[parts[2]] : parts[0] === "local" ? tf.locals?.[parts[1]] : parts[0] === "each" ? true : tf.resource?.[parts[0]]?.[parts[1]];
      if (known === undefined && !["each.value", "each.key"].includes(`${parts[0]}.${parts[1]}`)) dangling.add(ref[1]);
    }
  }
  return [...dangling].sort();
}
