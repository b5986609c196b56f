// The package's version, read from package.json at build time (tsup inlines
// the JSON), so `--version` always says what was published.
import packageJson from "../package.json" with { type: "json" };

export const VERSION: string = packageJson.version;
