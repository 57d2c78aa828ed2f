#!/usr/bin/env bash
# Printed by `make run` just before the server starts. Demo databases only.
cat <<'TXT'

  OCOP registry demo — http://127.0.0.1:8000   (English: http://127.0.0.1:8000/en/)
  -------------------------------------------------------------------------------
  Every demo login has the password  ocop-demo-2026

  admin            administrator                         http://127.0.0.1:8000/admin/
  uv1.donganh      member, Đông Anh district council (Decision 148)
  thuky.donganh    secretary, Đông Anh district council
  uv1.hanoi        member, Hanoi city council (Decision 26/2026)
  thuky.hanoi      secretary, Hanoi city council
  vp.donganh       Đông Anh district office: recognises 3 stars, forwards to the city
  vp.hanoi         Hanoi city office: approves four-star upgrades (one is waiting)
  vp.trunguong     central office: the national council's decisions
  uv1.tw           member, national council (a potential five-star product waits)
  thanhtra.hanoi   inspector, Hanoi (read only)
  sx.vannoi        producer: HTX Rau an toàn Vân Nội
  sx.minhduong     producer: HTX Bún Minh Dương

  Sign in at http://127.0.0.1:8000/tai-khoan/dang-nhap/ then open "Hồ sơ" (Dossiers).
  (Demo passwords are public: never use this database in production.)

TXT
