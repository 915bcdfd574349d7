#!/usr/bin/env bash
# Shows that botrunner is a plain dependency: creates a fresh Maven project in a temporary
# directory, outside this repository, with only dev.botrunner:botrunner (plus the Quarkus BOM and
# plugin, and botrunner's test kit for the check) and one BotSetup bean; builds it with
# `./mvnw package`, starts it with `java -jar` against a fake Bot API, and checks that text messages
# are answered by *its* handler and by nothing else (botrunner's demo bot stays out).
#
#   bash examples/new-project/check.sh        (after ./mvnw install in the repository root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project="$work/acme-bot"
mkdir -p "$project/src/main/java/com/acme"
cp -r "$root/mvnw" "$root/.mvn" "$project/"

cat > "$project/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>acme-bot</artifactId>
  <version>1.0.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.quarkus.platform</groupId>
        <artifactId>quarkus-bom</artifactId>
        <version>3.37.1</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>dev.botrunner</groupId>
      <artifactId>botrunner</artifactId>
      <version>0.1.0-SNAPSHOT</version>
    </dependency>
    <dependency>
      <groupId>dev.botrunner</groupId>
      <artifactId>botrunner</artifactId>
      <version>0.1.0-SNAPSHOT</version>
      <classifier>testkit</classifier>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>io.quarkus.platform</groupId>
        <artifactId>quarkus-maven-plugin</artifactId>
        <version>3.37.1</version>
        <extensions>true</extensions>
        <executions>
          <execution>
            <goals>
              <goal>build</goal>
            </goals>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
POM

cat > "$project/src/main/java/com/acme/EchoBot.java" <<'JAVA'
package com.acme;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import jakarta.inject.Singleton;

@Singleton
public class EchoBot implements BotSetup {
  @Override
  public void configure(Bot bot) {
    // Replies, then passes the update on, so any other bot in the chain would answer too.
    bot.on(
        "message:text",
        (ctx, next) -> {
          ctx.reply("acme heard: " + ctx.text());
          return next.proceed();
        });
  }
}
JAVA

cd "$project"
./mvnw -B -q package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
java -cp "$(cat cp.txt)" "$here/JarCheck.java" "$project/target/quarkus-app/quarkus-run.jar"
