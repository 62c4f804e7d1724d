import { compliant, nonCompliant, notApplicable, type ResourceRule } from "../rule";

/** EST-AWS-002: root and EBS volumes of instances, and standalone EBS volumes, are encrypted. */
export const awsEbsEncryption: ResourceRule = {
  id: "EST-AWS-002",
  level: "error",
  kind: "resource",
  resourceTypes: ["aws_instance", "aws_ebs_volume", "aws_launch_template"],
  reads: ["root_block_device", "ebs_block_device", "encrypted", "block_device_mappings"],
  message: "EBS volume not encrypted",
  explanation:
    "Unencrypted volumes and their snapshots can be read by anyone who gets hold of a snapshot or the volume; encryption at rest is free of charge and cannot be added later without replacing the volume.",
  fix: "Set encrypted = true on root_block_device, every ebs_block_device and aws_ebs_volume (optionally with kms_key_id).",
  check: (resource) => {
    const a = resource.attributes;
    switch (resource.block.type) {
      case "aws_ebs_volume":
        return a.encrypted === true ? compliant() : nonCompliant("encrypted is not true");
      case "aws_launch_template": {
        const problems = blocks(a.block_device_mappings).flatMap((m, i) =>
          blocks(m.ebs).filter((e) => e.encrypted !== true && e.encrypted !== "true").map(() => `block_device_mappings[${i}].ebs.encrypted is not true`),
        );
        if (blocks(a.block_device_mappings).length === 0) return notApplicable();
        return problems.length > 0 ? nonCompliant(problems.join("; ")) : compliant();
      }
      default: {
        const problems: string[] = [];
        const root = blocks(a.root_block_device);
        if (root.length === 0) problems.push("no root_block_device: the root volume is encrypted only if the account enables EBS encryption by default");
        else if (root[0].encrypted !== true) problems.push("root_block_device.encrypted is not true");
        blocks(a.ebs_block_device).forEach((d, i) => {
          if (d.encrypted !== true) problems.push(`ebs_block_device[${i}] (${String(d.device_name ?? "?")}) is not encrypted`);
        });
        return problems.length > 0 ? nonCompliant(problems.join("; ")) : compliant();
      }
    }
  },
};

function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  return value !== null && typeof value === "object" ? [value as Record<string, unknown>] : [];
}
