package dev.ebb.local;

/** An InferenceComponent on backend local, by namespace and name. */
public record ComponentKey(String namespace, String name) {}
