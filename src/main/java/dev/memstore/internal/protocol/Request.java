package dev.memstore.internal.protocol;

/**
 * One request as an action sees it: the envelope's session and the payload, named {@code payload}.
 */
record Request(String sessionId, Fields payload) {
  /** The payload's {@code session_id}, else the envelope's, else null. */
  String payloadOrEnvelopeSessionId() {
    String payloadSessionId = payload.text("session_id");
    return payloadSessionId != null ? payloadSessionId : sessionId;
  }

  /** As {@link #payloadOrEnvelopeSessionId}, for the actions that need a session. */
  String requiredSessionId() {
    String id = payloadOrEnvelopeSessionId();
    if (id == null) {
      throw Fields.missing("request.session_id");
    }
    return id;
  }
}
