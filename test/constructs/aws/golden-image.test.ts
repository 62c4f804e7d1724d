import { AwsGoldenImage } from "../../../constructs/aws";
import { awsErrorOf, awsTestStack, synthJson } from "../../support/synth";

describe("AwsGoldenImage", () => {
  it("looks the newest available AMI up by name and owner (defaults)", () => {
    const stack = awsTestStack();
    new AwsGoldenImage(stack, "Image", { amiName: "debian12-golden-*", owner: "self" });
    expect(synthJson(stack).data.aws_ami.image_lookup).toEqual({
      most_recent: true,
      owners: ["self"],
      filter: [
        { name: "name", values: ["debian12-golden-*"] },
        { name: "state", values: ["available"] },
      ],
    });
  });

  it("uses an explicit AMI id without a lookup", () => {
    const stack = awsTestStack();
    const image = new AwsGoldenImage(stack, "Image", { ami: "ami-0123456789abcdef0" });
    expect(image.imageId).toBe("ami-0123456789abcdef0");
    expect(synthJson(stack).data).toBeUndefined();
  });

  it("refuses a name without an owner", () => {
    expect(awsErrorOf((s) => new AwsGoldenImage(s, "Image", { amiName: "debian12" }))).toBe(
      'test/Image: the image needs an ami id, or an amiName together with its owner account (e.g. owner: "123456789012")',
    );
  });
});
