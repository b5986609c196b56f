import {
  CloudFormationServiceException,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListImportsCommand,
} from "@aws-sdk/client-cloudformation";
import type { FakeCloudFormation } from "./fake-cloudformation.js";

/**
 * The calls the deploy tool makes beyond the stateful fake's own, answered
 * from the same state: GetTemplate returns the template of the stack's last
 * executed change set (or one a test set), ListImports the stacks importing
 * an export (the fake's own, and any a test declares), refusing an export
 * nobody imports with CloudFormation's error.
 */
export function extendFake(cfn: FakeCloudFormation) {
  const templates = new Map<string, string>();
  const imports = new Map<string, string[]>();
  const find = (nameOrId: string | undefined) =>
    [...cfn.stacks.values()].find(
      (s) =>
        s.StackId === nameOrId || (s.StackName === nameOrId && s.StackStatus !== "DELETE_COMPLETE"),
    );

  cfn.mock.on(GetTemplateCommand).callsFake((input) => {
    const stack = find(input.StackName);
    if (!stack) {
      throw new CloudFormationServiceException({
        name: "ValidationError",
        $fault: "client",
        $metadata: {},
        message: `Stack with id ${input.StackName} does not exist`,
      });
    }
    const executed = cfn.mock
      .commandCalls(ExecuteChangeSetCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.StackName === stack.StackName);
    const last = executed.at(-1);
    const body = last
      ? cfn.created.find(
          (c) => c.StackName === stack.StackName && c.ChangeSetName === last.ChangeSetName,
        )?.TemplateBody
      : templates.get(stack.StackName);
    return { TemplateBody: body ?? "{}", StagesAvailable: ["Original", "Processed"] };
  });

  cfn.mock.on(ListImportsCommand).callsFake((input) => {
    const name = input.ExportName ?? "";
    // The fake's own stacks that import it, and any a test declares.
    const importers = [
      ...[...cfn.stacks.values()]
        .filter((s) => s.StackStatus !== "DELETE_COMPLETE" && s.accepted?.imports.includes(name))
        .map((s) => s.StackName),
      ...(imports.get(name) ?? []),
    ];
    if (importers.length === 0) {
      throw new CloudFormationServiceException({
        name: "ValidationError",
        $fault: "client",
        $metadata: {},
        message: `Export '${input.ExportName}' is not imported by any stack.`,
      });
    }
    return { Imports: importers };
  });

  return { templates, imports };
}
