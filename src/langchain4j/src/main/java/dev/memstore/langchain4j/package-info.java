/**
 * memstore for LangChain4j: {@link dev.memstore.langchain4j.MemstoreChatMemoryStore} keeps chat
 * memories, {@link dev.memstore.langchain4j.MemstoreEmbeddingStore} is an embedding store of text
 * segments, and {@link dev.memstore.langchain4j.EmbeddingModelEmbedder} lets any LangChain4j
 * embedding model embed a store's memories. Each works over a {@link dev.memstore.MemoryStore} the
 * caller opened (and closes): one file can hold chats, segments and the assistant's own memories.
 */
package dev.memstore.langchain4j;
