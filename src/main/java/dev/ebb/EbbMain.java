package dev.ebb;

import dev.ebb.batch.BatchCommand;
import dev.ebb.whatif.WhatIfCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The jar's entry point. {@code what-if ...} runs the what-if tool and exits, without starting the
 * operator (no Kubernetes, no AWS); {@code batch ...} runs one batch transform beside a model
 * server (backend local's batch plane) and exits; anything else starts the operator.
 */
@QuarkusMain
public final class EbbMain {
  private EbbMain() {}

  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("what-if")) {
      System.exit(
          WhatIfCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("batch")) {
      System.exit(
          BatchCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    Quarkus.run(args);
  }
}
