#!/usr/bin/env python3
"""Generates N lab-like French markdown pages, laid out for labgen and for Hugo.

Both peers get the same markdown bytes (front matter, accented headings, shell and output
blocks, tables, links between pages); labgen's copy also has a few ```trace blocks on a
capture, which Hugo renders as plain code. Deterministic: the same N gives the same files.

usage: gen.py N OUTDIR [--params]
  OUTDIR/labgen/  content root for `labgen build --content`
  OUTDIR/hugo/    a Hugo site with a minimal layout that renders real HTML
"""
import os, random, shutil, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORDS = ("réseau paquet nœud service adresse routage équilibrage données déploiement "
         "conteneur interface passerelle sécurité capture réponse requête général "
         "élément première dernière très déjà où être évidence vérifier côté").split()
TITLES = ["Création du cluster", "Déploiement d'une app", "Analyse de la config réseau",
          "Mise en évidence de DSR", "Vérification des paquets", "Équilibrage côté nœud",
          "Sécurité et politiques", "Nettoyage"]


def sentence(rnd, n):
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def page(i, n, rnd, params, trace):
    out = [f"---\ntitle: \"TP {i} : {rnd.choice(TITLES)} n°{i}\"\n---\n",
           f"# TP {i} : réseau et eBPF\n",
           f"Ce TP se déroule sur un cluster <ins>**KinD**</ins>. {sentence(rnd, 20)}\n"]
    for s, title in enumerate(TITLES):
        out.append(f"## {title}\n")
        for _ in range(3):
            out.append(sentence(rnd, 25) + " " + sentence(rnd, 18) + "\n")
        ip = "${{ nodes[1].ip }}" if params else "172.18.0.2"
        port = "${{ service(\"svc-echoserver\").ports[0].nodePort }}" if params else "31400"
        out.append(f"```bash\nkubectl get nodes -o wide\ncurl -s http://{ip}:{port} | grep -i host\n"
                   f"tcpdump -n -e -i br-db3e7f685321 \"tcp port {port}\"\n```\n")
        out.append("```console\nNAME             TYPE        CLUSTER-IP     PORT(S)\n"
                   "svc-echoserver   NodePort    10.96.88.153   80:31400/TCP\n```\n")
        out.append("| Nœud | Adresse | Rôle |\n|---|---|---|\n"
                   "| kind-control-plane | 172.18.0.3 | ~~master~~ control-plane |\n"
                   "| kind-worker | 172.18.0.2 | worker |\n")
        out.append(f"- [x] étape {s} vérifiée\n- [ ] voir le [TP suivant](lab-{(i % n) + 1:05d}.md)\n")
        if trace and s == 3:
            out.append("```trace\nfile: ../captures/seed-dsr.pcap\nfilter: tcp.port == 31400 || tcp.port == 8080\n"
                       "highlight: cilium.dsr\n```\n")
    return "\n".join(out)


def main():
    n, outdir = int(sys.argv[1]), sys.argv[2]
    params = "--params" in sys.argv
    shutil.rmtree(outdir, ignore_errors=True)
    lab, hugo = os.path.join(outdir, "labgen"), os.path.join(outdir, "hugo")
    for d in ("labs", "captures", "facts"):
        os.makedirs(os.path.join(lab, d))
    os.makedirs(os.path.join(hugo, "content", "labs"))
    os.makedirs(os.path.join(hugo, "layouts", "_default"))
    shutil.copy(os.path.join(ROOT, "content", "facts", "default.json"), os.path.join(lab, "facts"))
    shutil.copy(os.path.join(ROOT, "content", "captures", "seed-dsr.pcap") if os.path.exists(
        os.path.join(ROOT, "content", "captures", "seed-dsr.pcap")) else "/work/shared/fixtures/seed-dsr.pcap",
        os.path.join(lab, "captures"))
    with open(os.path.join(lab, "course.yaml"), "w") as f:
        f.write("title: Banc d'essai\nlanguage: fr\n")
    links = "\n".join(f"- [TP {i}](labs/lab-{i:05d}.md)" for i in range(1, n + 1))
    with open(os.path.join(lab, "index.md"), "w") as f:
        f.write(f"# Sommaire\n\n{links}\n")
    rnd = random.Random(42)
    for i in range(1, n + 1):
        text = page(i, n, rnd, params, trace=(i % 50 == 1))
        for root in (os.path.join(lab, "labs"), os.path.join(hugo, "content", "labs")):
            with open(os.path.join(root, f"lab-{i:05d}.md"), "w") as f:
                f.write(text)
    with open(os.path.join(hugo, "config.toml"), "w") as f:
        f.write('baseURL = "http://localhost/"\nlanguageCode = "fr"\ntitle = "Banc"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
                '[markup.goldmark.renderer]\nunsafe = true\n')
    with open(os.path.join(hugo, "layouts", "_default", "single.html"), "w") as f:
        f.write('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
                '</head><body><nav>{{ .TableOfContents }}</nav><main>{{ .Content }}</main></body></html>\n')
    with open(os.path.join(hugo, "layouts", "_default", "list.html"), "w") as f:
        f.write('<!doctype html><html lang="fr"><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
                '{{ .Title }}</a></li>{{ end }}</ul></body></html>\n')


if __name__ == "__main__":
    main()
