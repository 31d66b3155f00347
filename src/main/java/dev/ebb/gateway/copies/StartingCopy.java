package dev.ebb.gateway.copies;

import java.time.Instant;

/**
 * A copy whose model server runs but whose pod is not Ready yet: kubelet has not seen {@code /ping}
 * answer, or has not said so. Equal only for the same run of the container, so a restarted server
 * is a new starting copy.
 *
 * @param serverStarted when the model-server container started running (to the second, as
 *     Kubernetes records it)
 */
public record StartingCopy(String pod, String address, Instant serverStarted) {}
