# Sourced by the bench scripts (run from the repository root): bench_classpath prints the class
# path of the service's classes, its test classes (which hold the fake Bot API) and every
# test-scope dependency, from Maven's local cache. The dependency list is kept in
# target/bench-classpath.txt and rebuilt when pom.xml is newer.
bench_classpath() {
  local cp_file=target/bench-classpath.txt
  if [[ ! -s $cp_file || pom.xml -nt $cp_file ]]; then
    # Full coordinates: offline, Maven cannot resolve the "dependency:" prefix without metadata.
    ./mvnw -B -o -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
  fi
  echo "target/classes:target/test-classes:$(cat "$cp_file")"
}
