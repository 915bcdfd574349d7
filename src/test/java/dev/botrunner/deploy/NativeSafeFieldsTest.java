package dev.botrunner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Native-image safety without GraalVM: a field reached only through a {@code VarHandle}, an {@code
 * Atomic*FieldUpdater} or {@code Unsafe} gets no offset from the image builder, which then stops
 * with "No offset for field". Every such field of botrunner's compiled classes must also be read or
 * written directly somewhere ({@code GETFIELD}/{@code PUTFIELD}), and {@code sun.misc.Unsafe} is
 * not used at all.
 */
class NativeSafeFieldsTest {

  /** Where a field is looked up by name: VarHandles and the three field updaters. */
  private static final Set<String> LOOKUPS =
      Set.of(
          "java/lang/invoke/MethodHandles$Lookup.findVarHandle",
          "java/util/concurrent/atomic/AtomicIntegerFieldUpdater.newUpdater",
          "java/util/concurrent/atomic/AtomicLongFieldUpdater.newUpdater",
          "java/util/concurrent/atomic/AtomicReferenceFieldUpdater.newUpdater");

  @Test
  void everyFieldReachedByNameIsAlsoTouchedDirectly() throws Exception {
    List<ClassNode> classes = mainClasses();
    Set<String> byName = new TreeSet<>();
    Set<String> direct = new HashSet<>();
    Set<String> unsafe = new TreeSet<>();
    for (ClassNode type : classes) {
      for (MethodNode method : type.methods) {
        String lastType = null;
        String lastString = null;
        for (AbstractInsnNode insn : method.instructions) {
          if (insn instanceof LdcInsnNode ldc) {
            if (ldc.cst instanceof Type t) {
              lastType = t.getInternalName();
            } else if (ldc.cst instanceof String s) {
              lastString = s;
            }
          } else if (insn instanceof MethodInsnNode call) {
            if (LOOKUPS.contains(call.owner + "." + call.name)) {
              byName.add(lastType + "." + lastString);
            }
            if (call.owner.equals("sun/misc/Unsafe")
                || call.owner.equals("jdk/internal/misc/Unsafe")) {
              unsafe.add(type.name + "." + method.name);
            }
          } else if (insn instanceof FieldInsnNode field
              && (insn.getOpcode() == Opcodes.GETFIELD || insn.getOpcode() == Opcodes.PUTFIELD)) {
            direct.add(field.owner + "." + field.name);
          }
        }
      }
    }
    assertTrue(classes.size() > 50, "read the compiled classes: " + classes.size());
    assertTrue(
        byName.contains("dev/botrunner/internal/dispatch/ScheduledTask.done"), "found: " + byName);
    Set<String> untouched = new TreeSet<>(byName);
    untouched.removeAll(direct);
    assertEquals(
        Set.of(),
        untouched,
        "fields reached only by name: read or write each directly once, or use an Atomic* object");
    assertEquals(Set.of(), unsafe, "Unsafe is not native-safe");
  }

  private static List<ClassNode> mainClasses() throws Exception {
    Path root = Path.of(Bot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<ClassNode> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        classes.add(read(file));
      }
    }
    return classes;
  }

  private static ClassNode read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      ClassNode node = new ClassNode();
      new ClassReader(in).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return node;
    }
  }
}
