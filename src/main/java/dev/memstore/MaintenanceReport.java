package dev.memstore;

import java.time.Duration;
import java.time.Instant;

/**
 * What one maintenance run did, in the order it does it. Immutable.
 *
 * @param at when the run started, by the store's clock
 * @param expired memories deleted because their time to live ran out
 * @param promoted short-term memories moved to long-term because they were read often or matter
 * @param folded short-term memories beyond a session's window replaced by a summary
 * @param summaries summary memories written for the folded ones
 * @param pruned memories deleted because their effective importance fell below the floor
 * @param evicted memories deleted, lowest effective importance first, to keep the capacity limit
 * @param withheld memories the run would have expired or pruned but kept, because together they
 *     were more than {@link RetentionPolicy#maxDeletionShare()} of the store (0 when it did not
 *     refuse)
 * @param checkpointed whether the write-ahead log was folded into the file
 * @param took how long the run took
 */
public record MaintenanceReport(
    Instant at,
    int expired,
    int promoted,
    int folded,
    int summaries,
    int pruned,
    int evicted,
    int withheld,
    boolean checkpointed,
    Duration took) {}
