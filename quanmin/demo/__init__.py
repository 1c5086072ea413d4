"""The demo city, Liaocheng (聊城市, 3715): accounts for every role and believable data for every
capability, loaded by `manage.py load_demo`.

One module per app it fills (accounts, facilities, booking, physique; equipment, inspections, work
orders and residents' reports for maintenance and feedback). It sits on the top layer, beside web,
so that it may call any app's services, and no app carries demo code of its own.
"""
