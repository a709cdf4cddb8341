/**
 * Emulators: honest implementations of AWS SDK v2 sync client interfaces, for services with no
 * local emulator (ARCHITECTURE decision 8).
 *
 * <p>The contract every emulator keeps: status values, error codes, exception types and HTTP status
 * codes follow the service's API reference; operations the emulator does not implement keep the
 * interface default ({@link UnsupportedOperationException}); every request is recorded before it is
 * validated; state is thread-safe; timestamps come from an injected {@link java.time.Clock};
 * in-progress operations advance one step per Describe/poll call, never on wall time. Each
 * emulator's own test pins that behaviour. See {@code local/README.md}.
 */
package dev.cairn.local.emulators;
