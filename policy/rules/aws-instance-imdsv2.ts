import { compliant, nonCompliant, type ResourceRule } from "../rule";

/** EST-AWS-001: EC2 instances and launch templates require IMDSv2 session tokens. */
export const awsInstanceImdsv2: ResourceRule = {
  id: "EST-AWS-001",
  level: "error",
  kind: "resource",
  resourceTypes: ["aws_instance", "aws_launch_template"],
  reads: ["metadata_options"],
  message: "EC2 instance metadata reachable without IMDSv2 session tokens",
  explanation:
    "With IMDSv1 allowed, any server-side request forgery in an application on the host can read the instance role's credentials from 169.254.169.254 with a plain GET.",
  fix: 'Set metadata_options { http_tokens = "required" } (the AwsFleet construct does this by default).',
  check: (resource) => {
    const options = resource.attributes.metadata_options;
    const block = (Array.isArray(options) ? options[0] : options) as Record<string, unknown> | undefined;
    const tokens = block?.http_tokens;
    if (block?.http_endpoint === "disabled") return compliant();
    if (tokens === "required") return compliant();
    return nonCompliant(tokens === undefined ? "metadata_options.http_tokens is not set (AWS defaults to optional)" : `metadata_options.http_tokens is "${String(tokens)}"`);
  },
};
