#!/usr/bin/env bash
# Printed by `make run` just before the server starts. Demo databases only.
# The URLs use HOST and PORT, which the Makefile passes on (the address runserver
# listens on); a wildcard address is shown as 127.0.0.1, where a browser on this
# machine reaches it.
set -euo pipefail
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
case "$host" in
  0.0.0.0) host=127.0.0.1 ;;
  "[::]") host="[::1]" ;;
esac
url="http://$host:$port"
cat <<TXT

  OCOP registry demo — $url   (English: $url/en/)
  -------------------------------------------------------------------------------
  Every demo login has the password  ocop-demo-2026

  admin            administrator                         $url/admin/
  uv1.donganh      member, Đông Anh district council (Decision 148): a card not yet scored
  thuky.donganh    secretary, Đông Anh district council: a dossier to check, scoring to
                   open, a member to remind
  uv1.hanoi        member, Hanoi city council (Decision 26/2026): a card not yet scored
  thuky.hanoi      secretary, Hanoi city council: a re-evaluation to check
  vp.donganh       Đông Anh district office: recognises 3 stars, forwards to the city;
                   and Xã Đông Anh's office (26/2026): a pre-check past its 15 working days
  vp.hanoi         Hanoi city office: results waiting for a decision (a four-star upgrade)
  vp.trunguong     central office: a potential five-star product to check
  uv1.tw           member, national council (scores once the central office opens scoring)
  thanhtra.hanoi   inspector, Hanoi (read only)
  sx.vannoi        producer, HTX Rau an toàn Vân Nội: drafts to complete and file, a
                   returned dossier
  sx.minhduong     producer, HTX Bún Minh Dương: an upgrade waiting for the city's decision

  Sign in at $url/tai-khoan/dang-nhap/: each login lands on "Việc cần làm" (To do).
  (Demo passwords are public: never use this database in production.)

  A worker runs beside the server: background jobs, and mails, which it prints
  here and keeps in the admin ($url/admin/mail/sentmail/). Each demo login's
  address is <login>@example.com: try "Quên mật khẩu?" (Forgot your password?).

TXT
