/** Where results go: the {@link io.mdeas.node.publish.MessageSink} interface, topics and payload records. */
package io.mdeas.node.publish;
