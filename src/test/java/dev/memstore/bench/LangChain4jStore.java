package dev.memstore.bench;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.List;

/** LangChain4j's InMemoryEmbeddingStore, the bucket held as metadata and filtered on. */
final class LangChain4jStore implements KnnSearch {
  private final InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();

  LangChain4jStore(SpeedCorpus corpus) {
    List<String> ids = new ArrayList<>(corpus.size());
    List<Embedding> embeddings = new ArrayList<>(corpus.size());
    List<TextSegment> segments = new ArrayList<>(corpus.size());
    for (int memory = 0; memory < corpus.size(); memory++) {
      ids.add(String.valueOf(memory));
      embeddings.add(Embedding.from(corpus.vector(memory)));
      segments.add(
          TextSegment.from(
              corpus.texts.get(memory), new Metadata().put("bucket", corpus.buckets[memory])));
    }
    store.addAll(ids, embeddings, segments);
  }

  @Override
  public int[] search(float[] query, int percent, int k) {
    EmbeddingSearchRequest.EmbeddingSearchRequestBuilder request =
        EmbeddingSearchRequest.builder()
            .queryEmbedding(Embedding.from(query))
            .maxResults(k)
            .minScore(0.0);
    if (percent < 100) {
      request.filter(metadataKey("bucket").isLessThan(percent));
    }
    List<EmbeddingMatch<TextSegment>> matches = store.search(request.build()).matches();
    int[] memories = new int[matches.size()];
    for (int index = 0; index < memories.length; index++) {
      memories[index] = Integer.parseInt(matches.get(index).embeddingId());
    }
    return memories;
  }
}
