package dev.ebb.simulator;

/**
 * Finds resources by name in the caller's region, answering as SageMaker does when one is missing:
 * a ValidationException naming the ARN that was looked for.
 */
final class Refs {
  private Refs() {}

  static StoredModel model(Ctx ctx, String name) {
    StoredModel m = ctx.region().models.get(Arns.key(name));
    if (m == null) {
      throw AwsError.validation("Could not find model \"%s\".", ctx.arn(Arns.MODEL, name));
    }
    return m;
  }

  static StoredEndpointConfig endpointConfig(Ctx ctx, String name) {
    StoredEndpointConfig c = ctx.region().endpointConfigs.get(Arns.key(name));
    if (c == null) {
      throw configNotFound(ctx, name);
    }
    return c;
  }

  static StoredEndpoint endpoint(Ctx ctx, String name) {
    StoredEndpoint e = ctx.region().endpoints.get(Arns.key(name));
    if (e == null) {
      throw AwsError.validation("Could not find endpoint \"%s\".", ctx.arn(Arns.ENDPOINT, name));
    }
    return e;
  }

  static StoredComponent component(Ctx ctx, String name) {
    StoredComponent c = ctx.region().components.get(Arns.key(name));
    if (c == null) {
      throw AwsError.validation(
          "Could not find inference component \"%s\".", ctx.arn(Arns.INFERENCE_COMPONENT, name));
    }
    return c;
  }

  /**
   * A config referenced by a create or update. Within the eventual-consistency window after the
   * config's creation, the first such reference is told it does not exist.
   */
  static StoredEndpointConfig referencedConfig(Ctx ctx, String name) {
    StoredEndpointConfig c = endpointConfig(ctx, name);
    if (!c.staleReadServed && isFresh(ctx, c)) {
      c.staleReadServed = true;
      throw configNotFound(ctx, name);
    }
    return c;
  }

  /** A model referenced by a create; eventually consistent like {@link #referencedConfig}. */
  static StoredModel referencedModel(Ctx ctx, String name) {
    StoredModel m = model(ctx, name);
    if (!m.staleReadServed && isFresh(ctx, m)) {
      m.staleReadServed = true;
      throw AwsError.validation("Could not find model \"%s\".", ctx.arn(Arns.MODEL, name));
    }
    return m;
  }

  private static boolean isFresh(Ctx ctx, Stored resource) {
    return ctx.now().isBefore(resource.creationTime.plus(ctx.faults().staleWindow()));
  }

  private static AwsError configNotFound(Ctx ctx, String name) {
    return AwsError.validation(
        "Could not find endpoint configuration \"%s\".", ctx.arn(Arns.ENDPOINT_CONFIG, name));
  }
}
