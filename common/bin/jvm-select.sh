# Sourced (not run) by common/bin/java-launcher and common/bin/make-jvm-archives, POSIX sh: what
# each of them needs to know about the JVM that will run a program, found the same way by both.
#
#   . common/bin/jvm-select.sh; jvm_select HOME NAME
#
# sets
#   jvm_java      the java to run: $JAVA_HOME/bin/java, else java on PATH
#   jvm_version   its version (25.0.3), empty if it could not be read
#   jvm_feature   its feature version (25), empty if it could not be read
#   jvm_options   the options of NAME/jvm.options, then of NAME/jvmN.options for the highest N not
#                 above jvm_feature (jvm17.options on 17..24, jvm25.options on 25 and later)
#   jvm_archive   the class-data archive made for this feature version, used only when it exists:
#                 NAME/target/NAME-F.jsa (AppCDS, 17..24) or NAME/target/NAME-F.aot (AOT cache, 25+)
#   jvm_archive_use   the option that hands it to the JVM (-XX:SharedArchiveFile=... or -XX:AOTCache=...)
#   jvm_archive_make  the option that makes it in a training run (-XX:ArchiveClassesAtExit=... or
#                     -XX:AOTCacheOutput=..., the one-step workflow of JEP 514)
# An archive serves only the exact JVM build that made it; the JVM checks that and falls back to its
# own default archive, so a stale one costs start-up time, never a start (the per-JVM options files
# keep the JVM's warning about it off stdout, which carries the log lines).

jvm_select() {
  jvm_home=$1
  jvm_name=$2
  # The version is read once per start and costs no process when a release file is found:
  # `java -version` is a whole JVM start (~0.09 s of CPU on this project's machine, see
  # docs/performance.md), `readlink` ~1 ms.
  if [ -n "${JAVA_HOME:-}" ]; then
    jvm_java=$JAVA_HOME/bin/java
    jvm_dir=$JAVA_HOME
  else
    jvm_java=$(command -v java) || {
      printf '%s: no java found: set JAVA_HOME or put java on PATH\n' "${0##*/}" >&2
      return 127
    }
    # /usr/bin/java is usually a chain of links to JDK/bin/java; JDK/release names the version.
    jvm_dir=$(readlink -f -- "$jvm_java" 2>/dev/null) || jvm_dir=$jvm_java
    jvm_dir=${jvm_dir%/bin/java}
  fi
  jvm_version=
  if [ -r "$jvm_dir/release" ]; then
    while IFS='=' read -r jvm_key jvm_value; do
      if [ "$jvm_key" = JAVA_VERSION ]; then jvm_version=$jvm_value; break; fi
    done < "$jvm_dir/release"
    jvm_version=${jvm_version#\"}
    jvm_version=${jvm_version%\"}
  fi
  if [ -z "$jvm_version" ]; then
    # No release file (a JVM laid out some other way): ask the JVM. The line is
    # `openjdk version "25.0.3" 2026-04-21`, maybe after a "Picked up JAVA_TOOL_OPTIONS" line.
    jvm_version=$("$jvm_java" -version 2>&1 | awk -F'"' '/ version "/ { print $2; exit }') || jvm_version=
  fi
  # 25.0.3 -> 25, 17-ea -> 17; 1.8.0_402 -> 1 (too old, said so by the launcher).
  jvm_feature=${jvm_version%%[!0-9]*}

  # The per-JVM file: the highest N not above the feature version, so 21 takes jvm17.options
  # and 26 takes jvm25.options; none when the version is unknown.
  jvm_best=
  for jvm_file in "$jvm_home/$jvm_name"/jvm[0-9]*.options; do
    jvm_n=${jvm_file##*/jvm}
    jvm_n=${jvm_n%.options}
    case $jvm_n in *[!0-9]*) continue ;; esac
    [ -n "$jvm_feature" ] && [ -f "$jvm_file" ] && [ "$jvm_n" -le "$jvm_feature" ] || continue
    if [ -z "$jvm_best" ] || [ "$jvm_n" -gt "$jvm_best" ]; then jvm_best=$jvm_n; fi
  done
  # One sed for both files (each process costs a few ms of every start).
  jvm_options=$(sed -e 's/#.*//' "$jvm_home/$jvm_name/jvm.options" \
    ${jvm_best:+"$jvm_home/$jvm_name/jvm$jvm_best.options"}) || return 1
  jvm_archive=
  jvm_archive_use=
  jvm_archive_make=
  [ -n "$jvm_feature" ] || return 0
  # AppCDS (a dynamic archive on top of the JDK's) up to 24; from 25 on the AOT cache (JEP 483),
  # which also holds the classes linked and, with JEP 515, method profiles of the training run.
  if [ "$jvm_feature" -ge 25 ]; then
    jvm_archive=$jvm_home/$jvm_name/target/$jvm_name-$jvm_feature.aot
    jvm_archive_use=-XX:AOTCache=$jvm_archive
    jvm_archive_make=-XX:AOTCacheOutput=$jvm_archive
  else
    jvm_archive=$jvm_home/$jvm_name/target/$jvm_name-$jvm_feature.jsa
    jvm_archive_use=-XX:SharedArchiveFile=$jvm_archive
    jvm_archive_make=-XX:ArchiveClassesAtExit=$jvm_archive
  fi
}
