package fr.sesame.roster;

import fr.sesame.auth.LetterCodes;
import fr.sesame.roster.RosterCsv.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Families: the connected groups of pupils and guardians that the links, and the families already
 * known, tie together. A group that holds no known family is a new family (with a new letter code);
 * a group that holds several known families merges them into the oldest (the smallest id). Nodes
 * are "P:" pupil, "G:" guardian and "F:" family ids.
 */
final class RosterFamilies {
    private final UnionFind groups = new UnionFind();

    /** The known family of each pupil and guardian node whose group holds one. */
    private final Map<String, Long> familyOfNode = new HashMap<>();

    /** The letter code of each new family, by the root of its group. */
    final Map<String, String> newFamilyCodeOfRoot = new LinkedHashMap<>();

    /** Known families merged into another: from, to. */
    final Map<Long, Long> merges = new LinkedHashMap<>();

    private RosterFamilies() {}

    /** Groups the checked rows; a new pupil or guardian that nothing links is a problem. */
    static RosterFamilies group(RosterRows rows, RosterState db, List<Problem> problems) {
        RosterFamilies f = new RosterFamilies();
        for (RosterRows.Link link : rows.links)
            f.groups.union("P:" + link.pupilId(), "G:" + link.guardianId());
        for (String id : rows.pupils.keySet()) {
            f.groups.add("P:" + id);
            RosterDao.ChildState known = db.childByExt().get(id);
            if (known != null) f.groups.union("P:" + id, "F:" + known.familyId());
            else if (f.groups.size("P:" + id) == 1) {
                problems.add(
                        new Problem(
                                Kind.PUPILS.key,
                                rows.pupils.get(id).line(),
                                "roster.problem.nolink.pupil",
                                List.of(id)));
            }
        }
        for (String id : rows.guardians.keySet()) {
            f.groups.add("G:" + id);
            RosterDao.GuardianState known = db.guardianByExt().get(id);
            if (known != null) f.groups.union("G:" + id, "F:" + known.familyId());
            else if (f.groups.size("G:" + id) == 1) {
                problems.add(
                        new Problem(
                                Kind.GUARDIANS.key,
                                rows.guardians.get(id).line(),
                                "roster.problem.nolink.guardian",
                                List.of(id)));
            }
        }
        // Links may name pupils and guardians known only from the database.
        for (String node : new ArrayList<>(f.groups.nodes())) {
            if (node.startsWith("P:") && !rows.pupils.containsKey(node.substring(2))) {
                RosterDao.ChildState known = db.childByExt().get(node.substring(2));
                if (known != null) f.groups.union(node, "F:" + known.familyId());
            } else if (node.startsWith("G:") && !rows.guardians.containsKey(node.substring(2))) {
                RosterDao.GuardianState known = db.guardianByExt().get(node.substring(2));
                if (known != null) f.groups.union(node, "F:" + known.familyId());
            }
        }
        f.settle(new HashSet<>(db.letterCodes()));
        return f;
    }

    private void settle(Set<String> takenCodes) {
        Map<String, TreeSet<Long>> familiesOfRoot = new HashMap<>();
        for (String node : groups.nodes()) {
            if (node.startsWith("F:")) {
                familiesOfRoot
                        .computeIfAbsent(groups.find(node), r -> new TreeSet<>())
                        .add(Long.parseLong(node.substring(2)));
            }
        }
        for (String node : groups.nodes()) {
            if (node.startsWith("F:")) continue;
            String root = groups.find(node);
            TreeSet<Long> known = familiesOfRoot.get(root);
            if (known == null) {
                newFamilyCodeOfRoot.computeIfAbsent(root, r -> newCode(takenCodes));
            } else {
                familyOfNode.put(node, known.first());
                for (Long other : known.tailSet(known.first(), false))
                    merges.put(other, known.first());
            }
        }
    }

    private static String newCode(Set<String> takenCodes) {
        String code;
        do {
            code = LetterCodes.randomCode();
        } while (!takenCodes.add(code));
        return code;
    }

    /**
     * The known family a pupil ("P:id") or guardian ("G:id") ends in; null when theirs is a new
     * family.
     */
    Long knownFamily(String node) {
        return familyOfNode.get(node);
    }

    /** The root of a node's group: the key of its new family in {@link #newFamilyCodeOfRoot}. */
    String root(String node) {
        return groups.find(node);
    }

    /** Connected groups of string nodes. */
    static final class UnionFind {
        private final Map<String, String> parent = new LinkedHashMap<>();
        private final Map<String, Integer> size = new HashMap<>();

        void add(String node) {
            if (parent.putIfAbsent(node, node) == null) size.put(node, 1);
        }

        String find(String node) {
            add(node);
            String root = node;
            while (!parent.get(root).equals(root)) root = parent.get(root);
            while (!parent.get(node).equals(root)) {
                String next = parent.get(node);
                parent.put(node, root);
                node = next;
            }
            return root;
        }

        void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (ra.equals(rb)) return;
            if (size.get(ra) < size.get(rb)) {
                String t = ra;
                ra = rb;
                rb = t;
            }
            parent.put(rb, ra);
            size.put(ra, size.get(ra) + size.get(rb));
        }

        int size(String node) {
            return size.get(find(node));
        }

        Set<String> nodes() {
            return parent.keySet();
        }
    }
}
