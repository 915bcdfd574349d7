package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Secret shipped as an example ({@code k8s/base/secret.example.yaml}, never rendered): it is
 * the one the pods read, and holds exactly the secret settings, each one the service reads.
 */
class SecretExampleTest {

  @Test
  void theExampleSecretHoldsTheSecretSettings() throws Exception {
    Manifests.readmeBotVariables();
    List<JsonNode> docs =
        Manifests.YAML
            .readValues(
                Manifests.YAML.createParser(Manifests.SECRET_EXAMPLE.toFile()), JsonNode.class)
            .readAll();
    assertEquals(
        1, docs.size(), Manifests.SECRET_EXAMPLE + " must hold exactly the example Secret");
    Secret secret = (Secret) Manifests.bind(docs.get(0), Manifests.SECRET_EXAMPLE.toString());
    assertEquals(Manifests.SECRET_NAME, secret.getMetadata().getName());
    assertEquals(
        Set.of("BOT_TOKEN", "BOT_WEBHOOK_SECRET", "QUARKUS_DATASOURCE_PASSWORD"),
        secret.getStringData().keySet(),
        Manifests.SECRET_EXAMPLE + " keys");
    secret
        .getStringData()
        .keySet()
        .forEach(n -> Manifests.checkEnvName(n, Manifests.SECRET_EXAMPLE.toString()));
  }
}
