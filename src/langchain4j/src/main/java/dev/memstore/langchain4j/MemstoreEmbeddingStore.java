package dev.memstore.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.RelevanceScore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.SearchHit;
import dev.memstore.SearchQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A LangChain4j {@link EmbeddingStore} of text segments in a memstore file: {@code
 * MemstoreEmbeddingStore.from(store)}. Thread-safe; every call is one transaction of the store, so
 * what it added survives restarts and crashes like any memory.
 *
 * <p>Each embedding is a memory: the segment's text as its content (searchable by words in memstore
 * too), the embedding as its vector, the segment's metadata as its metadata (each value keeps its
 * Java type), the store's tag (by default {@value #DEFAULT_TAG}, so that several embedding stores
 * and the assistant's own memories share one file apart), long-term and pinned, so that decay,
 * pruning and eviction leave it alone: only {@code remove} deletes it.
 *
 * <p>Ids: an id this store generates is a random UUID. An id of the caller's choosing must be 1 to
 * 64 letters, digits, {@code _} or {@code -} (a UUID is fine) and not in use; the memory's id is
 * {@code mem-} followed by it. Adding an id in use fails with memstore's {@link
 * dev.memstore.ValidationException} (nothing of that batch is stored) rather than replacing it.
 *
 * <p>Search is by the given embedding alone: nearest first, scored as LangChain4j's {@link
 * RelevanceScore} ({@code (cosine + 1) / 2}); {@code maxResults} above 1,000 reads 1,000. Filters
 * map onto memstore's {@link dev.memstore.MetadataFilter} (a dot in a key steps into a nested
 * value); {@code containsString} is not supported. The store's embedding model must be the one that
 * made the embeddings ({@link EmbeddingModelEmbedder} turns a LangChain4j model into one): memstore
 * checks the dimension, and its health check samples stored vectors against the model. An embedding
 * added without a segment is stored with a placeholder text; its match has no segment.
 */
public final class MemstoreEmbeddingStore implements EmbeddingStore<TextSegment> {
  /** The tag of the memories of a store built without one. */
  public static final String DEFAULT_TAG = "langchain4j-segment";

  /** The content of a memory that holds an embedding added without a segment. */
  static final String PLACEHOLDER = "(an embedding without text)";

  private static final String ID_PREFIX = "mem-";
  private static final Pattern OWN_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

  private final MemoryStore store;
  private final String tag;

  private MemstoreEmbeddingStore(MemoryStore store, String tag) {
    this.store = store;
    this.tag = tag;
  }

  /** Returns an embedding store over the memory store, with the default tag. */
  public static MemstoreEmbeddingStore from(MemoryStore store) {
    return from(store, DEFAULT_TAG);
  }

  /**
   * Returns an embedding store over the memory store that keeps its memories under the tag, apart
   * from those of other tags.
   *
   * @throws IllegalArgumentException when the tag is blank
   */
  public static MemstoreEmbeddingStore from(MemoryStore store, String tag) {
    Objects.requireNonNull(store, "store");
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("the tag must not be blank");
    }
    return new MemstoreEmbeddingStore(store, tag);
  }

  /** Returns the memory store this embedding store writes to. */
  public MemoryStore memoryStore() {
    return store;
  }

  /** Returns the tag of this store's memories. */
  public String tag() {
    return tag;
  }

  @Override
  public String add(Embedding embedding) {
    String id = newId();
    addAll(List.of(id), List.of(embedding), null);
    return id;
  }

  @Override
  public void add(String id, Embedding embedding) {
    addAll(List.of(id), List.of(embedding), null);
  }

  @Override
  public String add(Embedding embedding, TextSegment segment) {
    String id = newId();
    addAll(List.of(id), List.of(embedding), List.of(segment));
    return id;
  }

  @Override
  public List<String> addAll(List<Embedding> embeddings) {
    List<String> ids = generateIds(embeddings.size());
    addAll(ids, embeddings, null);
    return ids;
  }

  @Override
  public List<String> generateIds(int count) {
    List<String> ids = new ArrayList<>(count);
    for (int index = 0; index < count; index++) {
      ids.add(newId());
    }
    return ids;
  }

  @Override
  public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
    int idCount = ids == null ? 0 : ids.size();
    int embeddingCount = embeddings == null ? 0 : embeddings.size();
    if (idCount != embeddingCount) {
      throw new IllegalArgumentException(
          "ids size (" + idCount + ") is not equal to embeddings size (" + embeddingCount + ")");
    }
    if (segments != null && segments.size() != embeddingCount) {
      throw new IllegalArgumentException(
          "embeddings size ("
              + embeddingCount
              + ") is not equal to embedded size ("
              + segments.size()
              + ")");
    }
    if (embeddingCount == 0) {
      return;
    }
    List<NewMemory> memories = new ArrayList<>(embeddingCount);
    for (int index = 0; index < embeddingCount; index++) {
      TextSegment segment = segments == null ? null : segments.get(index);
      Embedding embedding = Objects.requireNonNull(embeddings.get(index), "embedding");
      boolean withoutText = segment == null || segment.text().isBlank();
      memories.add(
          NewMemory.builder(withoutText ? PLACEHOLDER : segment.text())
              .id(memoryId(ids.get(index)))
              .embedding(embedding.vector())
              .metadata(
                  SegmentMetadata.toMemory(
                      segment == null ? null : segment.metadata(), withoutText))
              .tags(tag)
              .type(MemoryType.GENERAL)
              .tier(MemoryTier.LONG_TERM)
              .pinned(true)
              .build());
    }
    store.createAll(memories);
  }

  @Override
  public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
    Objects.requireNonNull(request, "request");
    SearchQuery.Builder query =
        SearchQuery.builder(request.queryEmbedding().vector())
            .filter(filter(request.filter()))
            .limit(Math.min(request.maxResults(), SearchQuery.MAX_LIMIT));
    if (request.minScore() > 0) {
      // LangChain4j's relevance is (cosine + 1) / 2.
      query.minSimilarity(Math.min(1, 2 * request.minScore() - 1));
    }
    List<SearchHit> hits = store.search(query.build()).hits();
    Map<String, float[]> vectors =
        store.embeddings().vectors(hits.stream().map(hit -> hit.memory().id()).toList());
    List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(hits.size());
    for (SearchHit hit : hits) {
      Memory memory = hit.memory();
      float[] vector = vectors.get(memory.id());
      matches.add(
          new EmbeddingMatch<>(
              RelevanceScore.fromCosineSimilarity(hit.similarity()),
              ownId(memory.id()),
              vector == null ? null : Embedding.from(vector),
              SegmentMetadata.withoutText(memory.metadata())
                  ? null
                  : TextSegment.from(
                      memory.content(), SegmentMetadata.fromMemory(memory.metadata()))));
    }
    return new EmbeddingSearchResult<>(matches);
  }

  @Override
  public void remove(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id cannot be null or blank");
    }
    removeAll(List.of(id));
  }

  @Override
  public void removeAll(Collection<String> ids) {
    if (ids == null || ids.isEmpty()) {
      return;
    }
    // An id outside the form this store accepts was never added: nothing to remove.
    List<String> memoryIds =
        ids.stream()
            .filter(id -> id != null && OWN_ID.matcher(id).matches())
            .map(id -> ID_PREFIX + id)
            .distinct()
            .toList();
    for (int from = 0; from < memoryIds.size(); from += SearchQuery.MAX_LIMIT) {
      List<String> chunk =
          memoryIds.subList(from, Math.min(memoryIds.size(), from + SearchQuery.MAX_LIMIT));
      store.deleteMatching(own().ids(chunk).build());
    }
  }

  @Override
  public void removeAll(Filter filter) {
    if (filter == null) {
      throw new IllegalArgumentException("filter cannot be null");
    }
    store.deleteMatching(filter(filter));
  }

  @Override
  public void removeAll() {
    store.deleteMatching(own().build());
  }

  private MemoryFilter.Builder own() {
    return MemoryFilter.builder().tagsAll(List.of(tag));
  }

  private MemoryFilter filter(Filter filter) {
    MemoryFilter.Builder builder = own();
    if (filter != null) {
      builder.metadata(MetadataFilters.of(filter));
    }
    return builder.build();
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Returns the memory id of an embedding id, checking the embedding id's form. */
  static String memoryId(String id) {
    if (id == null || !OWN_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "embedding id '"
              + id
              + "' is not 1 to 64 letters, digits, _ or - (a UUID is fine), which memstore needs");
    }
    return ID_PREFIX + id;
  }

  private static String ownId(String memoryId) {
    return memoryId.startsWith(ID_PREFIX) ? memoryId.substring(ID_PREFIX.length()) : memoryId;
  }
}
