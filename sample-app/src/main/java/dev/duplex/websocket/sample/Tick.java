package dev.duplex.websocket.sample;

/**
 * One tick of the {@code /ticks} feed: {@code {"seq":42,"time":1767225600000}}.
 *
 * @param seq the tick's number, from 1, one more each second
 * @param time when it was made, in milliseconds since the epoch
 */
public record Tick(long seq, long time) {}
