"""The elevator retrofit programme (旧楼宇加装电梯): each retrofit's stages from application to
service, the green channel's deadlines, custody contracts and the programme's figures.

State changes in ``operations`` (``record_retrofit_stage``, ``sign_custody_contract``), reads in
``queries`` (the green-channel queue), the figures' SQL in ``figures``, the ledger import in
``ledger``."""
