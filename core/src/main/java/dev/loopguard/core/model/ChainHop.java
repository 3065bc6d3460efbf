package dev.loopguard.core.model;

/**
 * One step of the evidence chain from the async function to the blocking API: a call made in
 * {@code function} at {@code path:line:column}, calling {@code call}.
 */
public record ChainHop(String path, int line, int column, String function, String call) {}
