package dev.cairn.cli.context;

import dev.cairn.cli.CairnCli;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn context check-not-committed}: fails when a CDK context file is tracked (or staged)
 * in git. Spec: "{@code .cdk.context.json} must never be committed to the repository."
 */
@Command(
    name = "check-not-committed",
    mixinStandardHelpOptions = true,
    description = {
      "Fail when a CDK context file is tracked or staged in git.",
      "Looks for .cdk.context.json (or CDK's cdk.context.json) anywhere in the repository."
          + " Contexts are injected from the blessed, signed copy in S3, never committed."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no context file is tracked or staged",
      "1:a context file is tracked or staged (each is named)",
      "2:usage or I/O error: not a git repository, git not found"
    },
    footerHeading = "%nExample:%n",
    footer = {"  cairn context check-not-committed --repo ."})
public final class CheckNotCommittedCommand implements Callable<Integer> {

  /** The spec's name and the name the CDK CLI actually reads. */
  static final Set<String> CONTEXT_FILE_NAMES = Set.of(".cdk.context.json", "cdk.context.json");

  @Spec CommandSpec spec;

  @Option(
      names = "--repo",
      defaultValue = ".",
      description = "The git working tree to check (default: the current directory).")
  Path repo;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Process git =
        new ProcessBuilder("git", "-C", repo.toString(), "ls-files", "-z", "--cached")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] listing;
    byte[] error;
    try (InputStream out = git.getInputStream();
        InputStream err = git.getErrorStream()) {
      listing = out.readAllBytes();
      error = err.readAllBytes();
    }
    int rc = git.waitFor();
    if (rc != 0) {
      spec.commandLine()
          .getErr()
          .println(
              "error: cannot list tracked files in "
                  + repo
                  + " (git exited "
                  + rc
                  + "): "
                  + new String(error, StandardCharsets.UTF_8).strip());
      return CairnCli.EXIT_USAGE;
    }
    List<String> offending = new ArrayList<>();
    for (String path : new String(listing, StandardCharsets.UTF_8).split("\0")) {
      if (path.isEmpty()) {
        continue;
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (CONTEXT_FILE_NAMES.contains(name)) {
        offending.add(path);
      }
    }
    if (offending.isEmpty()) {
      spec.commandLine().getOut().println("ok: no CDK context file is tracked in " + repo);
      return CairnCli.EXIT_OK;
    }
    var err = spec.commandLine().getErr();
    err.println("refused: CDK context files are tracked by git:");
    offending.forEach(p -> err.println("  " + p));
    err.println(
        "A context must come from the blessed, signed copy in S3 (cairn context fetch), never from"
            + " the repository: a committed context can carry poisoned lookups past review and"
            + " defeats the context hash check.");
    err.println("Fix: git rm --cached <file> and keep it in .gitignore.");
    return CairnCli.EXIT_FAILED;
  }
}
