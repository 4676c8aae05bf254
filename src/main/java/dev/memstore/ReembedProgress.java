package dev.memstore;

/**
 * How far a move of the store's vectors to another embedding model has come.
 *
 * @param model the model the vectors move to
 * @param embedded memories embedded with it so far, including those of an earlier, interrupted run
 * @param total memories to embed in all
 */
public record ReembedProgress(String model, long embedded, long total) {}
