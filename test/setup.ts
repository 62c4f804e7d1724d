import { Testing } from "cdktf";

// cdktf 0.21 ships jest matchers only; vitest accepts them through the same expect.extend API.
Testing.setupJest();
