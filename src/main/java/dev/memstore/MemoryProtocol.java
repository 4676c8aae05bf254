package dev.memstore;

import dev.memstore.internal.protocol.ProtocolHandler;

/**
 * The JSON request/response protocol of seed 001, in process: one request in, one response out,
 * with the seed's envelope ({@code action}, {@code session_id}, {@code payload}, {@code
 * request_id}, {@code timestamp} in; {@code status}, {@code action}, {@code request_id}, {@code
 * data} or {@code error}, {@code timestamp} out) and its error codes ({@link ErrorCode}). {@code
 * memctl exec} speaks it over standard input and output, one request per line.
 *
 * <p>Thread-safe when the store is. A request that fails changes nothing.
 */
public interface MemoryProtocol {

  /** Returns a protocol handler over a store; the caller keeps ownership of the store. */
  static MemoryProtocol over(MemoryStore store) {
    return new ProtocolHandler(store);
  }

  /**
   * Handles one request and returns the response. Never throws for a bad request: malformed JSON,
   * unknown actions and bad fields are answered with an error response naming the problem. A
   * request of more than 16 MiB of UTF-8, nested more than 64 levels or with a key given twice is
   * answered with {@code invalid_request} before it is read further; the README's protocol section
   * lists every limit.
   */
  String handle(String requestJson);
}
