package dev.loopguard.core.model;

/**
 * One place where event-loop code does the right thing, as reports show it: an offload
 * ({@code kind} "offload", e.g. {@code asyncio.to_thread}) or an awaited async API ("async-api").
 *
 * @param kind "offload" or "async-api"
 * @param path file
 * @param callIndex the call's index in its module's IR
 * @param line the call's line
 * @param function qualified name of the function that makes the call
 * @param api the API called
 */
public record EvidenceSite(String kind, String path, int callIndex, int line, String function, String api) {}
