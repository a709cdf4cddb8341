package dev.cairn.asl;

import java.time.Instant;

/** How long a Wait state waits: one of Seconds, Timestamp, SecondsPath and TimestampPath. */
sealed interface WaitUntil
    permits WaitUntil.Seconds, WaitUntil.Timestamp, WaitUntil.SecondsPath, WaitUntil.TimestampPath {

  record Seconds(long seconds) implements WaitUntil {}

  record Timestamp(Instant instant) implements WaitUntil {}

  record SecondsPath(String path) implements WaitUntil {}

  record TimestampPath(String path) implements WaitUntil {}
}
