package dev.memstore.internal.store;

import dev.memstore.ForgetPreview;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.Privacy;
import dev.memstore.internal.privacy.Forgetting;
import java.util.Collection;
import java.util.List;

/** The store's privacy view: forgetting, the audit trail and the sealing key. */
final class SqlitePrivacy implements Privacy {

  // Forgetting

  private final Forgetting forgetting;

  /**
   * The agent named on forget receipts: null until stores are opened as agents (then the store
   * passes its own to {@link Forgetting#forget}).
   */
  private final String agent;

  SqlitePrivacy(Forgetting forgetting, String agent) {
    this.forgetting = forgetting;
    this.agent = agent;
  }

  @Override
  public ForgetPreview previewForget(ForgetRequest request) {
    return forgetting.preview(request);
  }

  @Override
  public ForgetReceipt forget(ForgetRequest request) {
    return forgetting.forget(request, agent);
  }

  @Override
  public List<ForgetReceipt> forgetReceipts() {
    return forgetting.receipts();
  }

  @Override
  public int allowForgotten(Collection<String> memoryIds) {
    return forgetting.allowForgotten(memoryIds);
  }
}
