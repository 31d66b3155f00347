package dev.ebb.reconciler.tenancy;

/**
 * What the operator knows of the tenancy rules at one moment: off (every namespace may do anything,
 * as before tenancy), on but unreadable (nobody may do anything), or the rules.
 */
public sealed interface Rights {
  /** Tenancy is off ({@code ebb.tenancy.enabled=false}). */
  record Unrestricted() implements Rights {}

  /**
   * Tenancy is on but its ConfigMap is missing or invalid: Ebb fails closed.
   *
   * @param source the ConfigMap, {@code namespace/name}
   * @param why what is wrong with it
   */
  record Unavailable(String source, String why) implements Rights {}

  /** Tenancy is on and {@code source} holds these rules. */
  record Granted(String source, TenancyRules rules) implements Rights {}

  Rights UNRESTRICTED = new Unrestricted();
}
