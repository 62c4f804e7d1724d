import { Construct } from "constructs";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { AMI_ID_PATTERN } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";

const ACCOUNT_OR_ALIAS = /^(\d{12}|self|amazon|aws-marketplace|aws-backup-vault)$/;

/** How the site finds a golden image; AwsImageRef satisfies it. Give `ami`, or `amiName` with `owner`. */
export interface AwsGoldenImageProps {
  /** Exact AMI id. @default - look the image up by `amiName` and `owner` */
  readonly ami?: string;
  /** AMI name (exact, or with `*` wildcards); the most recent available match wins. @default - use `ami` */
  readonly amiName?: string;
  /** Account id (or alias such as `self`) that owns the AMI; required with `amiName`. @default - use `ami` */
  readonly owner?: string;
}

/**
 * A golden image of one AWS site, as an AMI id: the given id, or a `data aws_ami` lookup by name and owner
 * (most recent available match), so a rebake under the same name is picked up on the next plan.
 */
export class AwsGoldenImage extends Construct {
  /** AMI id, literal or read from the lookup. */
  readonly imageId: string;

  constructor(scope: Construct, id: string, props: AwsGoldenImageProps) {
    super(scope, id);
    if (props.ami !== undefined) {
      if (props.amiName !== undefined || props.owner !== undefined) {
        throw new ValidationError(`give either ami or amiName with owner, not both (got ami "${props.ami}" and amiName "${props.amiName ?? ""}")`, this);
      }
      if (!AMI_ID_PATTERN.test(props.ami)) throw new ValidationError(`ami must look like "ami-0123456789abcdef0", got "${props.ami}"`, this);
      this.imageId = props.ami;
      return;
    }
    if (!props.amiName || !props.owner) {
      throw new ValidationError(`the image needs an ami id, or an amiName together with its owner account (e.g. owner: "123456789012")`, this);
    }
    if (!ACCOUNT_OR_ALIAS.test(props.owner)) {
      throw new ValidationError(`owner must be a 12-digit account id or one of self, amazon, aws-marketplace, got "${props.owner}"`, this);
    }
    const lookup = new DataAwsAmi(this, "Lookup", {
      mostRecent: true,
      owners: [terraformLiteral(props.owner)],
      filter: [
        { name: "name", values: [terraformLiteral(props.amiName)] },
        { name: "state", values: ["available"] },
      ],
    });
    this.imageId = lookup.id;
  }
}
