package dev.memstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Lucene's HNSW index with its default settings (M 16, beam width 100), one segment, searched for
 * {@value #CANDIDATES} candidates of which the best k are returned. Filters are term queries that
 * Lucene applies during the graph search (falling back to an exact scan when they are selective).
 */
final class LuceneHnsw implements KnnSearch, AutoCloseable {
  static final int CANDIDATES = 100;

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  final double buildSeconds;

  private LuceneHnsw(Directory directory, double buildSeconds) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
    this.buildSeconds = buildSeconds;
  }

  static LuceneHnsw build(SpeedCorpus corpus, Path folder) throws IOException {
    Directory directory = FSDirectory.open(folder);
    long start = System.nanoTime();
    IndexWriterConfig config =
        new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    config.setRAMBufferSizeMB(1024);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      for (int memory = 0; memory < corpus.size(); memory++) {
        Document document = new Document();
        document.add(
            new KnnFloatVectorField(
                "vector", corpus.vector(memory), VectorSimilarityFunction.DOT_PRODUCT));
        document.add(new NumericDocValuesField("memory", memory));
        if (corpus.buckets[memory] < 10) {
          document.add(new StringField("slice", "10", Field.Store.NO));
        }
        if (corpus.buckets[memory] < 1) {
          document.add(new StringField("slice", "1", Field.Store.NO));
        }
        writer.addDocument(document);
      }
      writer.forceMerge(1);
      writer.commit();
    }
    return new LuceneHnsw(directory, (System.nanoTime() - start) / 1e9);
  }

  @Override
  public int[] search(float[] query, int percent, int k) throws IOException {
    Query filter =
        percent >= 100 ? null : new TermQuery(new Term("slice", String.valueOf(percent)));
    TopDocs top = searcher.search(new KnnFloatVectorQuery("vector", query, CANDIDATES, filter), k);
    int[] memories = new int[top.scoreDocs.length];
    for (int index = 0; index < memories.length; index++) {
      ScoreDoc hit = top.scoreDocs[index];
      LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(hit.doc, reader.leaves()));
      NumericDocValues values = leaf.reader().getNumericDocValues("memory");
      values.advanceExact(hit.doc - leaf.docBase);
      memories[index] = (int) values.longValue();
    }
    return memories;
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
  }
}
