package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Ebb's retries of AWS after passes that failed in a way a retry can mend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetryStatus(
    @JsonPropertyDescription(
            "Passes in a row, for this generation, that ended in a retryable AWS failure"
                + " (throttling, a 5xx, a conflict, access denied).")
        Integer failures,
    @JsonPropertyDescription(
            "When Ebb calls AWS again for this object (RFC 3339), unless its spec changes first."
                + " The wait doubles with each failure, from ebb.reconcile.transitioning-poll up"
                + " to ebb.reconcile.max-retry-delay, plus jitter.")
        String nextAttemptTime) {}
