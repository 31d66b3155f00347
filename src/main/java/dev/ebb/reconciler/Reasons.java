package dev.ebb.reconciler;

/** CamelCase condition reasons shared by the three kinds; tools and docs match on these. */
public final class Reasons {
  private Reasons() {}

  /** The backend has not provisioned anything for this object. */
  public static final String NOT_PROVISIONED = "NotProvisioned";

  /** This build of Ebb cannot provision the object's backend yet. */
  public static final String BACKEND_NOT_IMPLEMENTED = "BackendNotImplemented";

  /** An InferenceComponent's endpointRef names an endpoint that does not exist (yet). */
  public static final String ENDPOINT_NOT_FOUND = "EndpointNotFound";

  /** A referenced endpoint has no variant of the given name. */
  public static final String VARIANT_NOT_FOUND = "VariantNotFound";

  /** A component was placed on a variant that cannot host inference components. */
  public static final String INCOMPATIBLE_VARIANT = "IncompatibleVariant";

  /** A ScalingPolicy's targetRef names an object that does not exist (yet). */
  public static final String TARGET_NOT_FOUND = "TargetNotFound";
}
